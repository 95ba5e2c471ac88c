// Validates a --port value: 0 (any free port) to 65535.
export class InvalidPortError extends Error {
  override readonly name = 'InvalidPortError';
}

export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidPortError(`"${value}" is not a port number: use 0 (any free port) to 65535.`);
  }
  return port;
}
