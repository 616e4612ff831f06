// CPU time of another process from /proc/<pid>/stat (Linux), for processes that have no IPC channel.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let clockTicksPerSecond: number | undefined;

// Private: utime and stime are counted in clock ticks; ask getconf once, 100 is the Linux default.
function ticksPerSecond(): number {
  if (clockTicksPerSecond === undefined) {
    const answer = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    clockTicksPerSecond = Number.isInteger(answer) && answer > 0 ? answer : 100;
  }
  return clockTicksPerSecond;
}

/** User + system CPU milliseconds the process has used so far (all its threads). */
export function readProcessCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) is in parentheses and may contain spaces: count fields after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the name, field 3 (state) is index 0, so utime (14) and stime (15) are indexes 11 and 12.
  const ticks = Number(fields[11]) + Number(fields[12]);
  if (!Number.isFinite(ticks)) throw new Error(`cannot read CPU time from /proc/${pid}/stat`);
  return (ticks * 1000) / ticksPerSecond();
}
