// The full compute report from main: which backend llama.cpp uses and why, or why none works,
// plus the CPU and memory it was chosen for.
import type { SystemInfo } from '../../../../../common/system/systemInfoSchema';
import type { Loadable } from '../../../lib/async/Loadable';
import { formatComputeBackend } from '../../../lib/compute/formatComputeBackend';
import { formatBytes } from '../../../../../common/format/formatBytes';

export interface ComputeReportDetailsProps {
  readonly systemInfo: Loadable<SystemInfo>;
}

function formatAvx2(avx2: boolean | null): string {
  if (avx2 === null) return 'unknown';
  return avx2 ? 'yes' : 'no';
}

export function ComputeReportDetails({ systemInfo }: ComputeReportDetailsProps) {
  if (systemInfo.status === 'loading') {
    return <p className="muted">Detecting…</p>;
  }
  if (systemInfo.status === 'failed') {
    return (
      <div className="alert alert-error">
        <p className="alert-title">Compute unavailable</p>
        <p>
          CodeSage could not read this machine&apos;s details: {systemInfo.error.message}{' '}
          <span className="alert-detail">({systemInfo.error.name})</span>
        </p>
      </div>
    );
  }
  const { compute, cpu, memory, platform, arch } = systemInfo.value;
  return (
    <dl className="details">
      <dt>Backend</dt>
      {compute.status === 'detecting' ? <dd>Detecting…</dd> : null}
      {compute.status === 'ready' ? (
        <>
          <dd>{formatComputeBackend(compute.backend)}</dd>
          <dt>Why</dt>
          <dd data-testid="settings-compute-reason">{compute.reason}</dd>
          <dt>Threads</dt>
          <dd>{compute.threads}</dd>
          {compute.gpuNames.length > 0 ? (
            <>
              <dt>{compute.gpuNames.length === 1 ? 'GPU' : 'GPUs'}</dt>
              <dd>{compute.gpuNames.join(', ')}</dd>
            </>
          ) : null}
          {compute.vram === null ? null : (
            <>
              <dt>VRAM</dt>
              <dd>
                {formatBytes(compute.vram.freeBytes)} free of {formatBytes(compute.vram.totalBytes)}
              </dd>
            </>
          )}
        </>
      ) : null}
      {compute.status === 'failed' ? (
        <>
          <dd>Compute unavailable</dd>
          <dt>Error</dt>
          <dd data-testid="settings-compute-reason">
            {compute.message} <span className="alert-detail">({compute.errorName})</span>
          </dd>
        </>
      ) : null}
      <dt>CPU</dt>
      <dd>
        {cpu.model} · {cpu.physicalCores} cores, {cpu.logicalCores} threads · AVX2 {formatAvx2(cpu.avx2)}
      </dd>
      <dt>Memory</dt>
      <dd>
        {formatBytes(memory.freeBytes)} free of {formatBytes(memory.totalBytes)}
      </dd>
      <dt>Platform</dt>
      <dd>
        {platform} ({arch})
      </dd>
    </dl>
  );
}
