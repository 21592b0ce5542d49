import { BlockList, isIP } from 'node:net';
import { lookup } from 'node:dns/promises';
import { buildConnector } from 'undici';

/** Ranges a crawler must not reach on its own: loopback, private, link-local, shared and reserved space. */
const NON_PUBLIC_V4 = [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24],
  ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const;
const NON_PUBLIC_V6 = [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['2001:db8::', 32], ['64:ff9b::', 96]] as const;

export class AddressRefused extends Error {
  readonly code = 'ADDRESS_REFUSED';
  constructor(readonly host: string, readonly address: string, why: string) {
    super(`refused to connect to ${host} (${address}): ${why}`);
  }
}

export interface AddressPolicy {
  /** Addresses or CIDRs admitted although non-public. */
  allow: string[];
  /**
   * When set, only addresses inside these CIDRs may be contacted, public or not. Under a test runner
   * (VITEST or NODE_ENV=test) it is forced to 127.0.0.0/8 so a buggy crawl can never leave the machine.
   */
  confine?: string[];
}

function addCidr(list: BlockList, cidr: string): void {
  const [addr, bits] = cidr.split('/');
  const family = isIP(addr ?? '');
  if (!family) throw new Error(`not an IP address or CIDR: "${cidr}"`);
  const type = family === 6 ? 'ipv6' : 'ipv4';
  if (bits === undefined) list.addAddress(addr!, type);
  else list.addSubnet(addr!, Number(bits), type);
}

export function underTestRunner(): boolean {
  return Boolean(process.env.VITEST) || process.env.NODE_ENV === 'test';
}

/**
 * Decides, after DNS resolution and before any connection, whether an address may be contacted.
 * The decision is enforced inside the HTTP client's connector, so no code path can bypass it.
 */
export class AddressGuard {
  private readonly nonPublic = new BlockList();
  private readonly allowed = new BlockList();
  private readonly confined: BlockList | null;

  constructor(policy: AddressPolicy) {
    for (const [a, b] of NON_PUBLIC_V4) this.nonPublic.addSubnet(a, b, 'ipv4');
    for (const [a, b] of NON_PUBLIC_V6) this.nonPublic.addSubnet(a, b, 'ipv6');
    for (const c of policy.allow) addCidr(this.allowed, c);
    const confine = underTestRunner() ? (policy.confine ?? ['127.0.0.0/8']) : policy.confine;
    if (underTestRunner() && !confine!.every((c) => c.startsWith('127.'))) throw new Error('under tests the crawler may only be confined inside 127.0.0.0/8');
    this.confined = confine ? new BlockList() : null;
    for (const c of confine ?? []) addCidr(this.confined!, c);
  }

  /** Why `address` may not be contacted, or null when it may. */
  refusal(address: string): string | null {
    const v4mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    const ip = v4mapped ? v4mapped[1]! : address;
    const type = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
    if (this.confined && !this.confined.check(ip, type)) return 'outside the confined ranges';
    if (this.nonPublic.check(ip, type) && !this.allowed.check(ip, type)) return 'non-public address not in allow_addresses';
    return null;
  }

  /** Resolves `host` and returns the one address to connect to, or throws AddressRefused. */
  async resolve(host: string): Promise<string> {
    const bare = host.startsWith('[') ? host.slice(1, -1) : host;
    if (isIP(bare)) {
      const why = this.refusal(bare);
      if (why) throw new AddressRefused(host, bare, why);
      return bare;
    }
    // Confined to fixed ranges (always the case under tests), a name is never sent to a resolver.
    if (this.confined && bare !== 'localhost') throw new AddressRefused(host, '?', 'host names are not resolved while confined');
    const addresses = await lookup(bare, { all: true, verbatim: true });
    // Every address must pass: connecting to the first admitted one while another is refused would
    // let a hostile DNS answer steer us at will.
    for (const a of addresses) {
      const why = this.refusal(a.address);
      if (why) throw new AddressRefused(host, a.address, why);
    }
    const first = addresses[0];
    if (!first) throw new AddressRefused(host, '?', 'no address');
    return first.address;
  }

  /** An undici connector that resolves through the guard and connects to the pinned address only. */
  connector(timeoutMs: number): buildConnector.connector {
    const base = buildConnector({ timeout: timeoutMs });
    return (opts, callback) => {
      this.resolve(opts.hostname).then(
        (address) => {
          const isName = !isIP(opts.hostname.replace(/^\[|\]$/g, ''));
          base({ ...opts, hostname: address, servername: opts.servername ?? (isName ? opts.hostname : undefined) }, callback);
        },
        (e: Error) => callback(e, null),
      );
    };
  }
}
