// Child process for ChatStore's kill -9 test (run with `node --import tsx`): opens a store in the
// folder given as argument, starts a streaming answer and appends a numbered chunk every 20 ms,
// never calling flush() itself. Whenever the journal has grown since the last chunk, the store's
// timer must have flushed, and it flushed everything appended before that moment, so it prints
// how many chunks are safe on disk. It runs until it is killed.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { ChatStore } from '../ChatStore';

async function main(directory: string, flushIntervalMs: number): Promise<void> {
  const store = await ChatStore.open({ directory, flushIntervalMs });
  const conversation = store.create({ title: 'Killed mid-answer' });
  const question = store.addMessage(conversation.id, { role: 'user', content: 'Count for me.', parentId: null, status: 'complete' });
  const answer = store.addMessage(conversation.id, { role: 'assistant', content: '', parentId: question.id, status: 'streaming' });
  const journal = join(directory, `${conversation.id}.jsonl`);
  const report = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);
  report({ event: 'ready', pid: process.pid, conversationId: conversation.id, messageId: answer.id });

  let appended = 0;
  let size = statSync(journal).size;
  setInterval(() => {
    const now = statSync(journal).size;
    if (now > size) report({ event: 'flushed', chunks: appended });
    size = now;
    store.appendText(conversation.id, answer.id, `chunk-${String(appended)} `);
    appended++;
  }, 20);
}

const [directory, interval] = process.argv.slice(2);
if (directory === undefined) throw new Error('usage: streamUntilKilled.ts <directory> [flushIntervalMs]');
await main(directory, Number(interval ?? 100));
