// Turns a zod error into short "path: problem" lines a user (or developer) can act on.
import type { z } from 'zod';

export function formatZodIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
    return `${path}: ${issue.message}`;
  });
}
