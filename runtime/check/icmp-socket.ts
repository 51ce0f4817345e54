/**
 * PING_CHECK's socket: the IcmpEcho of ping.ts on the native addon's ICMP
 * channels (runtime/addon/vrrp_io.c), one per attempt, closed however the
 * attempt ends.
 */
import { SocketAddress } from 'node:net';
import type { IcmpIo } from '../io.ts';
import type { IcmpEcho } from './ping.ts';

/** An address as libuv writes it, so that the `fd00:0::2` of a configuration matches a reply from `fd00::2`. */
const canonical = (address: string, family: 4 | 6) => new SocketAddress({ address, family: family === 4 ? 'ipv4' : 'ipv6' }).address;

export function addonIcmpEcho(io: IcmpIo): IcmpEcho {
  return (address, family, request, accept, timeoutMs, signal) =>
    new Promise((resolve, reject) => {
      if (signal.aborted) return resolve(undefined);
      const target = canonical(address, family);
      let done = false;
      const settle = (finish: () => void) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        signal.removeEventListener('abort', expire);
        io.close(channel);
        finish();
      };
      const expire = () => settle(() => resolve(undefined));
      // The channel calls back from the event loop only, once everything here is set up.
      const channel = io.icmpOpen(family, (message, source) => {
        try {
          if (canonical(source, family) === target && accept(message)) settle(() => resolve(message));
        } catch (e) {
          settle(() => reject(e as Error));
        }
      });
      const timer = setTimeout(expire, timeoutMs);
      signal.addEventListener('abort', expire, { once: true });
      try {
        io.icmpSend(channel, address, request);
      } catch (e) {
        settle(() => reject(e as Error));
      }
    });
}
