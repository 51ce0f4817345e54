/** E-mail alerts: keepalived's settings, words and SMTP dialogue, against a local server the test starts. */
import { type AddressInfo, createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { readConfigText } from '../grammar/index.ts';
import { alertMessage } from '../runtime/notifier.ts';
import { sendMail, smtpSettings } from '../runtime/smtp.ts';
import { type Received, smtpServer } from './helpers/smtp-server.ts';

const CONFIG = `global_defs {
    notification_email {
        ops@example.org
        oncall@example.org
    }
    notification_email_from keepalived@lb1.example.org
    smtp_server 127.0.0.1 2525
    smtp_connect_timeout 5
    router_id LVS_1
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    smtp_alert
}
vrrp_instance VI_2 {
    interface eth0
    virtual_router_id 52
}
`;

describe('smtp_alert', () => {
  it('reads the global mail settings', () => {
    const { config } = readConfigText(CONFIG, '/t/k.conf');
    expect(smtpSettings(config)).toMatchObject({ server: '127.0.0.1', port: 2525, from: 'keepalived@lb1.example.org', to: ['ops@example.org', 'oncall@example.org'], timeoutMs: 5000, routerId: 'LVS_1' });
  });

  it('sends keepalived\'s message through a real SMTP dialogue', async () => {
    const received: Received[] = [];
    const server = smtpServer((m) => received.push(m));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { config } = readConfigText(CONFIG, '/t/k.conf');
    const settings = { ...smtpSettings(config)!, port: (server.address() as AddressInfo).port };
    const { subject, body } = alertMessage('LVS_1', 'instance', 'VI_1', 'MASTER');
    await sendMail(settings, subject, body);
    server.close();
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ from: 'keepalived@lb1.example.org', to: ['ops@example.org', 'oncall@example.org'] });
    expect(received[0]!.data).toContain('Subject: [LVS_1] VRRP Instance VI_1 - Entering MASTER state');
    expect(received[0]!.data).toContain('=> VRRP Instance is now owning VRRP VIPs <=');
  });

  it('rejects with the reply when the server refuses a recipient, and when nothing listens', async () => {
    const server = createServer((socket) => {
      socket.write('220 test\r\n');
      socket.on('data', (d) => socket.write(String(d).startsWith('RCPT') ? '550 5.1.1 no such user\r\n' : '250 ok\r\n'));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const settings = { server: '127.0.0.1', port: (server.address() as AddressInfo).port, helo: 'x', from: 'a@b', to: ['c@d'], timeoutMs: 2000, routerId: 'x' };
    await expect(sendMail(settings, 's', 'b')).rejects.toThrow('SMTP server replied 550 5.1.1 no such user');
    server.close();
    await expect(sendMail(settings, 's', 'b')).rejects.toThrow(/ECONNREFUSED/);
  });
});
