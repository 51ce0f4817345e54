/** A minimal SMTP server for the tests: accepts every message and records its envelope and data. */
import { createServer, type Server } from 'node:net';

export interface Received {
  helo: string;
  from: string;
  to: string[];
  data: string;
}

export function smtpServer(onMessage: (m: Received) => void): Server {
  return createServer((socket) => {
    let buffer = '';
    let inData = false;
    const m: Received = { helo: '', from: '', to: [], data: '' };
    socket.write('220 test ESMTP\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk;
      for (let nl = buffer.indexOf('\r\n'); nl >= 0; nl = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            onMessage({ ...m, to: [...m.to] });
            socket.write('250 queued\r\n');
          } else m.data += `${line.replace(/^\.\./, '.')}\n`;
          continue;
        }
        const [verb] = line.split(/[ :]/);
        if (verb === 'HELO') m.helo = line.slice(5);
        if (line.startsWith('MAIL FROM:')) m.from = line.slice(10).replace(/[<>]/g, '');
        if (line.startsWith('RCPT TO:')) m.to.push(line.slice(8).replace(/[<>]/g, ''));
        if (verb === 'DATA') {
          inData = true;
          socket.write('354 go ahead\r\n');
        } else if (verb === 'QUIT') {
          socket.end('221 bye\r\n');
        } else socket.write('250 ok\r\n');
      }
    });
  });
}
