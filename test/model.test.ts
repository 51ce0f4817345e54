/** What keepalived makes of an instance: family, version, state, priority and trackers, as its handlers decide them in file order. */
import { describe, expect, it } from 'vitest';
import { type Block, model, readConfigText } from '../grammar/index.ts';

function instances(text: string): { config: ReturnType<typeof readConfigText>['config']; globals: model.GlobalDefs; get: (name: string) => Block } {
  const { config } = readConfigText(text, '/etc/keepalived/keepalived.conf');
  const globals = new model.GlobalDefs(config);
  return { config, globals, get: (name) => model.instancesOf(config).find((b) => b.name === name)! };
}

const settingsOf = (body: string, globalDefs = '') => {
  const { globals, get } = instances(`${globalDefs ? `global_defs {\n${globalDefs}\n}\n` : ''}vrrp_instance VI {\n${body}\n}\n`);
  return model.instanceSettings(get('VI'), globals);
};

describe('instance family', () => {
  it('is IPv4 without addresses', () => {
    expect(settingsOf('  interface eth0').family).toBe(4);
  });

  it('follows the first address of any kind, in file order', () => {
    const s = settingsOf('  unicast_src_ip fd00::1\n  virtual_ipaddress {\n    10.0.0.1/24\n  }');
    expect(s.family).toBe(6);
    expect(s.familySource?.what).toBe('unicast_src_ip fd00::1');
  });

  it('ignores native_ipv6 after an IPv4 address', () => {
    expect(settingsOf('  virtual_ipaddress {\n    10.0.0.1/24\n  }\n  native_ipv6').family).toBe(4);
  });
});

describe('VRRP version', () => {
  it('defaults to the global vrrp_version, else 2', () => {
    expect(settingsOf('  priority 100').version).toBe(2);
    const s = settingsOf('  priority 100', '  vrrp_version 3');
    expect(s.version).toBe(3);
    expect(s.v3?.reason).toBe('vrrp_version');
  });

  it('keeps the first of two conflicting version lines', () => {
    expect(settingsOf('  version 2\n  version 3').version).toBe(2);
  });

  it('is 3 for IPv6, but an explicit version 2 stays outside strict mode', () => {
    expect(settingsOf('  virtual_ipaddress {\n    fd00::10/64\n  }').v3?.reason).toBe('ipv6');
    expect(settingsOf('  version 2\n  virtual_ipaddress {\n    fd00::10/64\n  }').version).toBe(2);
    expect(settingsOf('  version 2\n  strict_mode\n  virtual_ipaddress {\n    fd00::10/64\n  }').version).toBe(3);
  });

  it('refuses version 2 after an IPv6 address', () => {
    expect(settingsOf('  virtual_ipaddress {\n    fd00::10/64\n  }\n  version 2').version).toBe(3);
  });
});

describe('state and priority', () => {
  it('derives the priority from state MASTER and the state from priority 255', () => {
    expect(settingsOf('  state MASTER').priority).toBe(255);
    expect(settingsOf('  priority 255').wantState).toBe('MASTER');
    expect(settingsOf('  priority 254').wantState).toBe('BACKUP');
  });

  it('ignores state BACKUP after state MASTER', () => {
    expect(settingsOf('  state MASTER\n  state BACKUP\n  priority 100').configuredState).toBe('MASTER');
  });

  it('makes an invalid priority 100', () => {
    expect(settingsOf('  state MASTER\n  priority 300').priority).toBe(100);
  });

  it('recomputes the state from the priority in strict mode', () => {
    const s = settingsOf('  state MASTER\n  priority 100\n  strict_mode');
    expect([s.wantState, s.strictStateOverride]).toEqual(['BACKUP', true]);
  });

  it('clears nopreempt for a MASTER and for an address owner', () => {
    expect(settingsOf('  state MASTER\n  priority 100\n  nopreempt').nopreemptCleared).toBe('master');
    expect(settingsOf('  state BACKUP\n  priority 255\n  nopreempt').nopreemptCleared).toBe('owner');
    expect(model.keepsNopreempt(settingsOf('  state BACKUP\n  priority 90\n  nopreempt'))).toBe(true);
  });
});

describe('trackers', () => {
  const scripts = 'vrrp_script up {\n  script "/bin/true"\n  weight 10 reverse\n}\nvrrp_script down {\n  script "/bin/false"\n}\n';

  it('inherits weight and reverse from the script; an entry overrides them, ±254 becomes ±253', () => {
    const { config, get } = instances(`${scripts}vrrp_instance VI {\n  track_script {\n    up\n    down weight -254 noreverse\n  }\n}\n`);
    expect(model.trackersOf(get('VI'), config).map((t) => [t.name, t.weight, t.reverse])).toEqual([
      ['up', 10, true],
      ['down', -253, false],
    ]);
  });

  it('takes a track_file\'s first weight unless it is 1, as keepalived does', () => {
    const file = (weights: string) => `track_file f {\n  file /run/f\n${weights}}\nvrrp_instance VI {\n  track_file {\n    f\n  }\n}\n`;
    const weightOf = (weights: string) => {
      const { config, get } = instances(file(weights));
      return model.trackersOf(get('VI'), config).map((t) => [t.weight, t.reverse]);
    };
    expect(weightOf('  weight 5\n  weight 3\n')).toEqual([[5, false]]);
    expect(weightOf('  weight 1\n  weight -7 reverse\n')).toEqual([[-7, true]]);
    expect(weightOf('  weight 2 reverse\n  weight 9\n')).toEqual([[2, true]]);
    expect(weightOf('')).toEqual([[1, false]]);
  });

  it('ignores scripts defined after the instance, and repeated entries', () => {
    const { config, get } = instances(`vrrp_instance VI {\n  track_script {\n    up\n  }\n}\n${scripts}vrrp_instance VJ {\n  track_script {\n    up\n    up\n  }\n}\n`);
    expect(model.trackersOf(get('VI'), config)).toEqual([]);
    expect(model.trackersOf(get('VJ'), config)).toHaveLength(1);
  });

  it('drops weighted scripts of an address owner and of a sync group member without sync_group_tracking_weight', () => {
    const body = (prio: number) => `  priority ${prio}\n  track_interface {\n    eth1 weight 5\n  }\n  track_script {\n    up\n    down\n  }`;
    const owner = instances(`${scripts}vrrp_instance VI {\n${body(255)}\n}\n`);
    expect(model.effectiveTrackers(owner.get('VI'), owner.config, owner.globals).map((t) => `${t.name}:${t.weight}`)).toEqual(['down:0']);
    const sync = `vrrp_sync_group G {\n  group {\n    VI\n    VJ\n  }\n}\n${scripts}vrrp_instance VI {\n${body(100)}\n}\nvrrp_instance VJ {\n  priority 90\n}\n`;
    const member = instances(sync);
    expect(model.effectiveTrackers(member.get('VI'), member.config, member.globals).map((t) => `${t.name}:${t.weight}`)).toEqual(['eth1:0', 'down:0']);
    const kept = instances(sync.replace('group {', 'sync_group_tracking_weight\n  group {'));
    expect(model.effectiveTrackers(kept.get('VI'), kept.config, kept.globals).map((t) => `${t.name}:${t.weight}`)).toEqual(['eth1:5', 'up:10', 'down:0']);
  });
});

describe('authentication', () => {
  const auth = (body: string) => {
    const { get } = instances(`vrrp_instance VI {\n${body}\n}\n`);
    return model.authenticationOf(get('VI'));
  };

  it('takes the last valid auth_type and auth_pass of any authentication block, the password cut to 8', () => {
    const a = auth('  authentication {\n    auth_type PASS\n    auth_pass first\n  }\n  authentication {\n    auth_type AH\n    auth_type MD5\n    auth_pass secret123\n  }');
    expect([a?.type, a?.pass, a?.typeStatement.words[0]?.text]).toEqual(['AH', 'secret12', 'AH']);
  });

  it('is undefined without a valid auth_type', () => {
    expect(auth('  authentication {\n    auth_pass secret\n  }')).toBeUndefined();
  });
});
