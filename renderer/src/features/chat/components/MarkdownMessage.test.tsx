import { render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MarkdownMessage } from './MarkdownMessage';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('MarkdownMessage', () => {
  it('highlights fenced code and copies the code of a block', async () => {
    const user = userEvent.setup();
    const { container } = render(
      <MarkdownMessage content={'Here:\n\n```ts\nconst answer: number = 42;\nexport { answer };\n```\n\nAnd `inline` code.'} />,
    );
    const block = container.querySelector('.code-block');
    if (!(block instanceof HTMLElement)) throw new Error('no code block');
    expect(within(block).getByText('ts')).toBeTruthy();
    const code = block.querySelector('pre > code');
    expect(code?.classList.contains('hljs')).toBe(true);
    expect(code?.classList.contains('language-ts')).toBe(true);
    const keywords = [...(code?.querySelectorAll('.hljs-keyword') ?? [])].map((k) => k.textContent);
    expect(keywords).toEqual(expect.arrayContaining(['const', 'export']));
    expect(code?.querySelector('.hljs-number')?.textContent).toBe('42');
    // Inline code is not a block.
    expect(container.querySelectorAll('.code-block')).toHaveLength(1);

    const copy = screen.getByRole('button', { name: 'Copy ts code' });
    await user.click(copy);
    expect(await navigator.clipboard.readText()).toBe('const answer: number = 42;\nexport { answer };');
    expect(copy.textContent).toBe('Copied');
  });

  it('says so when the clipboard refuses', async () => {
    const user = userEvent.setup();
    vi.spyOn(navigator.clipboard, 'writeText').mockRejectedValue(new DOMException('Write permission denied.', 'NotAllowedError'));
    render(<MarkdownMessage content={'```\nplain\n```'} />);
    const copy = screen.getByRole('button', { name: 'Copy code' });
    await user.click(copy);
    expect(copy.textContent).toBe('Copy failed');
  });

  it('shows raw HTML as text and never renders it', () => {
    const html = 'Hi <img src="x" onerror="alert(1)"> <script>alert(2)</script> <b>bold</b>\n\n<div onclick="alert(3)">block</div>';
    const { container } = render(<MarkdownMessage content={html} />);
    expect(container.querySelector('img, script, b, div[onclick], [onerror]')).toBeNull();
    expect(container.textContent).toContain('<img src="x" onerror="alert(1)">');
    expect(container.textContent).toContain('<b>bold</b>');
    expect(container.textContent).toContain('<div onclick="alert(3)">block</div>');
  });

  it('opens http links outside the app and makes no link of other schemes or images', () => {
    const { container } = render(
      <MarkdownMessage
        content={
          '[docs](https://example.com/docs), [evil](javascript:alert(1)), [file](file:///etc/passwd)\n\n![diagram](https://example.com/d.png)'
        }
      />,
    );
    const links = [...container.querySelectorAll('a')];
    expect(links.map((a) => [a.textContent, a.getAttribute('href'), a.target, a.rel])).toEqual([
      ['docs', 'https://example.com/docs', '_blank', 'noreferrer noopener'],
      ['Image: diagram', 'https://example.com/d.png', '_blank', 'noreferrer noopener'],
    ]);
    expect(container.textContent).toContain('evil');
    expect(container.textContent).toContain('file');
    expect(container.querySelector('img')).toBeNull();
  });

  it('renders GitHub tables and task lists', () => {
    const { container } = render(<MarkdownMessage content={'| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done'} />);
    expect(container.querySelectorAll('table td')).toHaveLength(2);
    expect(container.querySelector('input[type="checkbox"]')).not.toBeNull();
  });
});
