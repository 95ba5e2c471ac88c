// The model catalog as the Models view shows it: models/catalog.json (built into the app, or a
// file named by CODESAGE_CATALOG for tests and offline mirrors), each variant with its fit on
// this machine, the recommended pick per family, and whether it is already installed. Catalog
// fits come from the file sizes; `fitOf` reads a real header (locally or over HTTP ranges).
import { readFile } from 'node:fs/promises';
import { posix } from 'node:path';
import bundledCatalog from '../../../../models/catalog.json';
import { catalogSchema } from '../../../../common/models/catalogSchema';
import type { Catalog, CatalogEntryView } from '../../../../common/models/catalogSchema';
import type { FitEstimate } from '../../../../common/models/fitSchema';
import { resolveModelUrl } from '../../downloads/resolveDownloadSource';
import { estimateFitFromSize, estimateFitOf, recommendVariant } from '../fit/estimateFit';
import type { MachineMemory } from '../fit/estimateFit';

export class InvalidCatalogError extends Error {
  override readonly name = 'InvalidCatalogError';
}

/** Reads and validates a catalog file; the bundled one when no path is given. */
export async function loadCatalog(path: string | null): Promise<Catalog> {
  if (path === null) return catalogSchema.parse(bundledCatalog);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch (error) {
    throw new InvalidCatalogError(`The model catalog ${path} could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = catalogSchema.safeParse(raw);
  if (!parsed.success)
    throw new InvalidCatalogError(`The model catalog ${path} is invalid: ${parsed.error.issues[0]?.message ?? 'unknown problem'}`);
  return parsed.data;
}

export interface ModelCatalogOptions {
  readonly catalog: Catalog;
  readonly machine: () => Promise<MachineMemory>;
  readonly installedIds: () => Promise<ReadonlySet<string>>;
  readonly huggingFaceEndpoint?: string;
}

export class ModelCatalog {
  readonly #options: ModelCatalogOptions;

  constructor(options: ModelCatalogOptions) {
    this.#options = options;
  }

  get catalog(): Catalog {
    return this.#options.catalog;
  }

  /** The sha256 the catalog publishes for a URI, if any. */
  sha256Of(uri: string): string | null {
    for (const entry of this.#options.catalog.entries) {
      for (const variant of entry.variants) if (variant.uri === uri) return variant.sha256;
    }
    return null;
  }

  async list(): Promise<CatalogEntryView[]> {
    const [machine, installed] = await Promise.all([this.#options.machine(), this.#options.installedIds()]);
    return this.#options.catalog.entries.map((entry) => {
      const variants = entry.variants.map((variant) => ({
        ...variant,
        fit: estimateFitFromSize(variant.sizeBytes, machine, entry.contextLength),
        installed: installed.has(fileNameOf(variant.uri)),
      }));
      const pick = recommendVariant(variants);
      return { ...entry, variants: variants.map((variant) => ({ ...variant, recommended: variant === pick })) };
    });
  }

  /** Reads the model's real header (a local path, an http(s) URL or a hf: URI) and estimates. */
  async fitOf(target: string, options: { signal?: AbortSignal } = {}): Promise<FitEstimate> {
    const machine = await this.#options.machine();
    const isRemote = /^(hf:|huggingface:|https?:\/\/)/i.test(target);
    const location = isRemote
      ? (
          await resolveModelUrl(target, {
            ...(this.#options.huggingFaceEndpoint === undefined ? {} : { huggingFaceEndpoint: this.#options.huggingFaceEndpoint }),
            ...(options.signal === undefined ? {} : { signal: options.signal }),
          })
        ).url
      : target;
    try {
      return await estimateFitOf(location, machine, options);
    } catch (error) {
      const variant = this.#options.catalog.entries
        .flatMap((entry) => entry.variants.map((v) => ({ v, entry })))
        .find(({ v }) => v.uri === target);
      if (variant !== undefined) return estimateFitFromSize(variant.v.sizeBytes, machine, variant.entry.contextLength);
      throw new InvalidCatalogError(
        `Could not read the model's header from ${location}: ${error instanceof Error ? error.message : String(error)}. Check the address, or that you are online.`,
      );
    }
  }
}

function fileNameOf(uri: string): string {
  const path = uri.replace(/[#?].*$/, '');
  return posix.basename(path);
}
