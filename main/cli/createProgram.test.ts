import { describe, expect, it } from 'vitest';
import { CommanderError } from 'commander';
import { createProgram, EXIT_UNAVAILABLE } from './createProgram';

function run(args: string[]) {
  let out = '';
  let err = '';
  const served: { host: string; port: number }[] = [];
  const program = createProgram(
    '1.2.3',
    { out: (t) => (out += t), err: (t) => (err += t) },
    {
      serve: (options) => {
        served.push(options);
        return Promise.resolve();
      },
    },
  );
  const result = program.parseAsync(['node', 'codesage', ...args]).then(
    () => 0,
    (error: unknown) => (error instanceof CommanderError ? error.exitCode : -1),
  );
  return result.then((code) => ({ code, out, err, served }));
}

describe('codesage CLI', () => {
  it('lists every subcommand in --help', async () => {
    const { code, out } = await run(['--help']);
    expect(code).toBe(0);
    for (const name of ['chat', 'intent', 'index', 'search', 'review', 'models', 'serve'])
      expect(out).toMatch(new RegExp(`^\\s+${name}\\b`, 'm'));
  });

  it('fails with a clear message and a suggestion on an unknown command', async () => {
    const { code, err } = await run(['serv']);
    expect(code).not.toBe(0);
    expect(err).toContain("unknown command 'serv'");
    expect(err).toContain('serve');
  });

  it('fails on an unknown flag', async () => {
    const { code, err } = await run(['serve', '--frobnicate']);
    expect(code).not.toBe(0);
    expect(err).toContain("unknown option '--frobnicate'");
  });

  it('validates the port', async () => {
    const { code, err, served } = await run(['serve', '--port', '99999']);
    expect(code).not.toBe(0);
    expect(err).toContain('not a port number');
    expect(served).toEqual([]);
  });

  it('passes serve options through', async () => {
    const { code, served } = await run(['serve', '--port', '4312']);
    expect(code).toBe(0);
    expect(served).toEqual([{ host: '127.0.0.1', port: 4312 }]);
  });

  it('says plainly when a subcommand is not in this build', async () => {
    const { code, err } = await run(['chat', 'hello']);
    expect(code).toBe(EXIT_UNAVAILABLE);
    expect(err).toContain('not available in this build');
  });
});
