import type { z } from 'zod';

/** `displayName: Too small: expected string to have >=1 characters; role: Invalid option...` */
export function describeZodError(error: z.ZodError, pathPrefix = ''): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = [pathPrefix, ...issue.path.map(String)].filter(Boolean).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
