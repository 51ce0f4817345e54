/** How the LVS rules name servers and addresses in messages. */
import type { IpValue, Node, Word } from '../../grammar/index.ts';

/** `10.0.0.1:80`, `[ae00::1]:80`, or the bare address without a port. */
export function endpoint(ip: IpValue, port: number): string {
  if (!port) return ip.address;
  return ip.family === 6 ? `[${ip.address}]:${port}` : `${ip.address}:${port}`;
}

/** The port word of a server address (`real_server IP PORT`, `sorry_server IP PORT`), unless absent or 0. */
export function portWord(n: Node): Word | undefined {
  return typeof n.params['port'] === 'number' && n.params['port'] !== 0 ? n.words[1] : undefined;
}
