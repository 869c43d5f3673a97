import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addBootstrapOption, addCommandConfigOption, addVerboseOption } from '../../../src/cli/options.js';

describe('shared client options', () => {
  it('register --bootstrap-server, a config-file flag and --verbose', () => {
    const cmd = addVerboseOption(addCommandConfigOption(addBootstrapOption(new Command('x')), '--producer.config'));
    cmd.parse(['--bootstrap-server', 'a:1,b:2', '--producer.config', 'p.properties', '--verbose'], { from: 'user' });
    expect(cmd.opts()).toEqual({ bootstrapServer: 'a:1,b:2', 'producer.config': 'p.properties', verbose: true });
    const help = cmd.helpInformation().replace(/\s+/g, ' ');
    expect(help).toContain("(default: the profile's, $KTS_BOOTSTRAP_SERVER, else localhost:9092)");
    expect(help).toContain('--profile <name>');
  });

  it('default to --command-config and leave unset options undefined', () => {
    const cmd = addCommandConfigOption(addBootstrapOption(new Command('x')));
    cmd.parse(['--command-config', 'c.properties'], { from: 'user' });
    expect(cmd.opts()).toEqual({ commandConfig: 'c.properties' });
  });
});
