import { describe, expect, it } from 'vitest';
import { CommanderError } from 'commander';
import { createProgram, EXIT_UNAVAILABLE } from './createProgram';

function run(args: string[]) {
  let out = '';
  let err = '';
  const served: { host: string; port: number }[] = [];
  const chats: { prompt: string; options: unknown }[] = [];
  const intents: { text: string; options: unknown }[] = [];
  const models: { action: string; argument: string | undefined; options: unknown }[] = [];
  const program = createProgram(
    '1.2.3',
    { out: (t) => (out += t), err: (t) => (err += t) },
    {
      serve: (options) => {
        served.push(options);
        return Promise.resolve();
      },
      chat: (prompt, options) => {
        chats.push({ prompt, options });
        return Promise.resolve(0);
      },
      intent: (text, options) => {
        intents.push({ text, options });
        return Promise.resolve(text.includes('bad') ? 2 : 0);
      },
      models: (action, argument, options) => {
        models.push({ action, argument, options });
        return Promise.resolve(argument === 'fails' ? 1 : 0);
      },
    },
  );
  const result = program.parseAsync(['node', 'codesage', ...args]).then(
    () => 0,
    (error: unknown) => (error instanceof CommanderError ? error.exitCode : -1),
  );
  return result.then((code) => ({ code, out, err, served, chats, intents, models }));
}

describe('codesage CLI', () => {
  it('lists every subcommand in --help', async () => {
    const { code, out } = await run(['--help']);
    expect(code).toBe(0);
    for (const name of ['chat', 'intent', 'index', 'search', 'review', 'models', 'serve'])
      expect(out).toMatch(new RegExp(`^\\s+${name}\\b`, 'm'));
  });

  it('routes the models subcommands with their arguments and exit codes', async () => {
    expect((await run(['models', 'list', '--json'])).models).toEqual([{ action: 'list', argument: undefined, options: { json: true } }]);
    expect((await run(['models', 'download', 'hf:a/b/c.gguf', '--sha256', 'ab'])).models).toEqual([
      { action: 'download', argument: 'hf:a/b/c.gguf', options: { json: false, sha256: 'ab' } },
    ]);
    expect((await run(['models', 'rm', 'x.gguf'])).models[0]).toMatchObject({ action: 'rm', argument: 'x.gguf' });
    expect((await run(['models', 'import', 'fails'])).code).toBe(1);
    const missing = await run(['models', 'fit']);
    expect(missing.code).not.toBe(0);
    expect(missing.err).toContain("missing required argument 'uri|file'");
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

  it('parses chat options', async () => {
    const { code, chats } = await run([
      'chat',
      '--model',
      'm.gguf',
      '-t',
      '0',
      '--seed',
      '42',
      '-c',
      '1024',
      '--json',
      'why',
      'is',
      'the',
      'sky',
      'blue',
    ]);
    expect(code).toBe(0);
    expect(chats).toHaveLength(1);
    expect(chats[0]?.prompt).toBe('why is the sky blue');
    expect(chats[0]?.options).toMatchObject({
      model: 'm.gguf',
      temperature: 0,
      seed: 42,
      contextSize: 1024,
      gpuLayers: 'auto',
      gpu: 'auto',
      json: true,
      maxTokens: 512,
    });
  });

  it('refuses chat without a model or with bad numbers', async () => {
    expect((await run(['chat', 'hi'])).err).toContain("required option '-m, --model <file.gguf>' not specified");
    const bad = await run(['chat', '-m', 'x.gguf', '--temperature', 'hot', 'hi']);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain('--temperature must be a number');
    expect((await run(['chat', '-m', 'x.gguf', '--gpu', 'tpu', 'hi'])).err).toContain('--gpu must be one of');
  });

  it('parses intent options and passes the exit code through', async () => {
    const single = await run(['intent', '--json', 'where', 'is', 'main', 'defined?']);
    expect(single.code).toBe(0);
    expect(single.intents).toEqual([{ text: 'where is main defined?', options: { json: true } }]);
    const file = await run(['intent', '--jsonl', 'in.jsonl', '--model', 'm.onnx']);
    expect(file.intents).toEqual([{ text: '', options: { json: false, jsonl: 'in.jsonl', model: 'm.onnx' } }]);
    expect((await run(['intent', 'a', 'bad', 'one'])).code).toBe(2);
    const nothing = await run(['intent']);
    expect(nothing.code).toBe(2);
    expect(nothing.err).toContain('give the text to classify, or --jsonl <file>');
    expect(nothing.intents).toEqual([]);
    expect((await run(['intent', '--help'])).out).toMatch(/bad input line gives \{"line": n, "error"/);
  });

  it('says plainly when a subcommand is not in this build', async () => {
    const { code, err } = await run(['review', 'x.patch']);
    expect(code).toBe(EXIT_UNAVAILABLE);
    expect(err).toContain('not available in this build');
  });
});
