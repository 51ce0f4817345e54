import { describe, expect, it } from 'vitest';
import { blocksOf, childrenNamed, itemsOf, lastStatement, valueOf } from '../grammar/index.ts';
import { diags, read, where } from './helpers/read.ts';

describe('typed AST', () => {
  const r = read(`global_defs {
    router_id lb1
    vrrp_garp_master_delay 2
}
vrrp_script chk {
    script "/usr/bin/pgrep nginx"
    interval 1.5
    weight -30 reverse
}
vrrp_instance VI_1 {
    state MASTER
    interface eth0
    virtual_router_id 51
    priority 150
    advert_int 0.5
    smtp_alert
    unicast_peer {
        10.0.0.2 min_ttl 250
    }
    track_script {
        chk weight -20
    }
    virtual_ipaddress {
        10.0.0.100/24 dev eth0 label eth0:vip
        fd00::1/64 no_track
    }
}
virtual_server 10.0.0.100 80 {
    lvs_sched wrr
    protocol tcp
    real_server 10.0.1.1 8080 {
        weight 3
        HTTP_GET {
            url {
                path /health
                status_code 200 301-302
            }
        }
    }
}
`);
  const vi = blocksOf(r.config, 'vrrp_instance')[0]!;

  it('types values by the schema', () => {
    expect(valueOf(vi, 'state')).toBe('MASTER');
    expect(valueOf(vi, 'priority')).toBe(150);
    expect(valueOf(vi, 'advert_int')).toBe(0.5);
    expect(valueOf(vi, 'smtp_alert')).toBe(true);
    expect(valueOf(blocksOf(r.config, 'global_defs')[0]!, 'vrrp_garp_master_delay')).toBe(2);
    const weight = lastStatement(blocksOf(r.config, 'vrrp_script')[0]!, 'weight')!;
    expect(weight.params).toEqual({ weight: -30 });
    expect(weight.options).toEqual({ reverse: true });
  });

  it('names blocks and parses items', () => {
    expect(vi.name).toBe('VI_1');
    expect(itemsOf(vi, 'unicast_peer')[0]).toMatchObject({ params: { address: { address: '10.0.0.2', family: 4 } }, options: { min_ttl: { ttl: 250 } } });
    expect(itemsOf(vi, 'track_script')[0]).toMatchObject({ params: { script: 'chk' }, options: { weight: { weight: -20 } } });
    const vips = itemsOf(vi, 'virtual_ipaddress');
    expect(vips[0]).toMatchObject({ params: { address: { address: '10.0.0.100', prefix: 24 } }, options: { dev: { interface: 'eth0' }, label: { label: 'eth0:vip' } } });
    expect(vips[1]).toMatchObject({ params: { address: { address: 'fd00::1', family: 6, prefix: 64 } }, options: { no_track: true } });
  });

  it('reads virtual servers, real servers, checkers and urls', () => {
    const vs = blocksOf(r.config, 'virtual_server')[0]!;
    expect(vs.params).toEqual({ address: { address: '10.0.0.100', family: 4 }, port: 80 });
    expect(valueOf(vs, 'protocol')).toBe('TCP');
    const rs = blocksOf(vs, 'real_server')[0]!;
    expect(valueOf(rs, 'weight')).toBe(3);
    const url = blocksOf(blocksOf(rs, 'HTTP_GET')[0]!, 'HTTP_GET.url')[0]!;
    expect(valueOf(url, 'path')).toBe('/health');
    expect(lastStatement(url, 'status_code')!.params).toEqual({ code: ['200', '301-302'] });
  });

  it('keeps source ranges on nodes and words', () => {
    const prio = lastStatement(vi, 'priority')!;
    expect(prio.range.file.text.slice(prio.range.start, prio.range.end)).toBe('priority 150');
    expect(prio.words[0]!.range.file.text.slice(prio.words[0]!.start, prio.words[0]!.end)).toBe('150');
    expect(vi.range.file.text.slice(vi.range.start, vi.range.start + 18)).toBe('vrrp_instance VI_1');
    expect(where(r)).toEqual([]);
  });
});

describe('blocks keepalived discards', () => {
  it('skips a second vrrp_instance of the same name, contents and all', () => {
    const r = read('vrrp_instance VI_1 {\n  virtual_router_id 1\n}\nvrrp_instance VI_1 {\n  bogus_keyword\n}\n');
    const [, second] = blocksOf(r.config, 'vrrp_instance');
    expect(second!.ignored).toBe(true);
    expect(second!.children).toEqual([]);
    expect(where(r)).toEqual(['4:1 syntax', '4:15 syntax']);
  });

  it('skips a virtual_server whose address is invalid', () => {
    const r = read('virtual_server 10.0.0.300 80 {\n  lvs_sched nonsense\n  real_server 10.0.0.1 80 {\n  }\n}\nglobal_defs {\n  router_id a\n}\n');
    expect(blocksOf(r.config, 'virtual_server')[0]!.ignored).toBe(true);
    expect(valueOf(blocksOf(r.config, 'global_defs')[0]!, 'router_id')).toBe('a');
    expect(where(r, 'error')).toEqual(['1:16 invalid-value']);
  });
});

describe('required keywords and references', () => {
  it('reports a vrrp_script without script at its closing brace, and references to it', () => {
    const r = read('vrrp_script chk {\n  interval 2\n}\nvrrp_instance VI_1 {\n  virtual_router_id 1\n  track_script {\n    chk\n  }\n}\n');
    expect(where(r)).toEqual(['3:1 missing-argument', '7:5 track-script-undefined']);
    expect(diags(r)[1]!.message).toContain("it dropped vrrp_script 'chk' (it has no 'script')");
  });

  it('needs a tracked script defined before the instance, but not a sync group member', () => {
    const r = read(
      'vrrp_sync_group G {\n  group {\n    VI_1\n  }\n}\nvrrp_instance VI_1 {\n  virtual_router_id 1\n  track_script {\n    later\n  }\n}\nvrrp_script later {\n  script x\n}\n',
    );
    expect(where(r)).toEqual(['9:5 track-script-undefined']);
  });

  it('suggests the name meant', () => {
    const r = read('vrrp_script chk_nginx {\n  script x\n}\nvrrp_instance VI_1 {\n  virtual_router_id 1\n  track_script {\n    chk_ngnix\n  }\n}\n');
    expect(r.diagnostics[0]!.fixes?.[0]?.edits[0]?.text).toBe('chk_nginx');
  });
});

describe('repeated keywords', () => {
  it('warns when a later value replaces an earlier one, and errs where keepalived does', () => {
    const r = read('vrrp_instance VI_1 {\n  virtual_router_id 1\n  priority 100\n  priority 150\n  notify_master /a.sh\n  notify_master /b.sh\n}\n');
    expect(diags(r).map((d) => [d.line, d.ruleId, d.severity])).toEqual([
      [4, 'duplicate-keyword', 'warning'],
      [6, 'duplicate-keyword', 'error'],
    ]);
    expect(valueOf(blocksOf(r.config, 'vrrp_instance')[0]!, 'priority')).toBe(150);
  });

  it('counts a deprecated spelling and its replacement as the same keyword', () => {
    const r = read('virtual_server 10.0.0.1 80 {\n  lb_algo rr\n  lvs_sched wrr\n}\n');
    expect(where(r, 'warning')).toEqual(['2:3 deprecated-keyword', '3:3 duplicate-keyword']);
    expect(childrenNamed(blocksOf(r.config, 'virtual_server')[0]!, 'lvs_sched')).toHaveLength(2);
  });
});

describe('fixes', () => {
  it('offers the keyword meant, the enum value meant and the current spelling', () => {
    const r = read('vrrp_instance VI_1 {\n  virtual_router_id 1\n  unicast_src-ip 10.0.0.1\n  state BACUP\n}\nvirtual_server 10.0.0.1 80 {\n  lb_kind DR\n}\n');
    const edits = r.diagnostics.flatMap((d) => d.fixes ?? []).map((f) => f.edits[0]!.text);
    expect(edits).toEqual(['unicast_src_ip', 'BACKUP', 'lvs_method']);
  });

  it('offers none for text an expansion produced', () => {
    const r = read('$K=unicast_src-ip\nvrrp_instance VI_1 {\n  virtual_router_id 1\n  $K 10.0.0.1\n}\n');
    expect(r.diagnostics[0]!.fixes).toBeUndefined();
  });
});

describe('symbol table', () => {
  it('lists the names blocks define, the words that refer to them and the interface names, in reading order', () => {
    const { config } = read(`vrrp_script chk {
  script /bin/true
}
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 1
  track_script {
    chk weight 10
  }
  virtual_ipaddress {
    10.0.0.1/24 dev eth1
  }
}
vrrp_sync_group G {
  group {
    VI_1
  }
}
`);
    const show = (e: { kind: string; word: { text: string; range: { start: number } } }) => `${e.kind} ${e.word.text}`;
    expect(config.symbols.definitions.map(show)).toEqual(['vrrp_script chk', 'vrrp_instance VI_1', 'vrrp_sync_group G']);
    expect(config.symbols.references.map(show)).toEqual(['vrrp_script chk', 'vrrp_instance VI_1']);
    expect(config.symbols.interfaces.map((w) => w.text)).toEqual(['eth0', 'eth1']);
  });

  it('covers tracked files and processes and virtual server groups', () => {
    const { config } = read(`vrrp_track_file tf {
  file /run/flag
}
vrrp_track_process tp {
  process nginx
}
virtual_server_group vsg {
  10.0.0.1 80
}
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 1
  track_file {
    tf
  }
  track_process {
    tp
  }
}
virtual_server group vsg {
  real_server 10.0.1.1 80 {
  }
}
`);
    const show = (e: { kind: string; word: { text: string } }) => `${e.kind} ${e.word.text}`;
    expect(config.symbols.definitions.map(show)).toEqual(['track_file tf', 'vrrp_track_process tp', 'virtual_server_group vsg', 'vrrp_instance VI_1']);
    expect(config.symbols.references.map(show)).toEqual(['track_file tf', 'vrrp_track_process tp', 'virtual_server_group vsg']);
  });
});
