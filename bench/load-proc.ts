/**
 * CPU, memory and open files of a process, read from /proc (pidusage is not installed and
 * `process.cpuUsage()` only sees the calling process). Linux only, like these machines.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/** Open files a process may hold on these machines (docs/dependencies.md; `ulimit -n`, not raisable). */
export const FILE_LIMIT = 20_000;

/** The open-file limit a running process actually has (soft limit, from /proc/<pid>/limits). */
export function fileLimitOf(pid: number): number {
  const line = /^Max open files\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/limits`, 'utf8'));
  return line ? Number(line[1]) : FILE_LIMIT;
}

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (100 on Debian). */
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

export interface ProcSample {
  /** Wall-clock ms when read. */
  at: number;
  /** User + system CPU time since the process started, ms. */
  cpuMs: number;
  rssBytes: number;
  /** Peak resident memory (VmHWM). */
  peakRssBytes: number;
  openFiles: number;
}

export function sampleProc(pid: number): ProcSample {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may contain spaces: the first is
  // field 3 (state), so utime (field 14) and stime (field 15) are at 11 and 12.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(rest[11]) + Number(rest[12]);
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return {
    at: Date.now(),
    cpuMs: (ticks * 1000) / CLK_TCK,
    rssBytes: kb('VmRSS'),
    peakRssBytes: kb('VmHWM'),
    openFiles: fs.readdirSync(`/proc/${pid}/fd`).length,
  };
}

/** Direct children of a process (the fleet workers the launcher forked, say). */
export function childPids(parent: number): number[] {
  const out: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent) out.push(Number(name));
    } catch {
      // gone between readdir and read
    }
  }
  return out;
}

/** Total CPU ms of several processes; ones that have exited count as zero. */
export function cpuMsOf(pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      total += sampleProc(pid).cpuMs;
    } catch {
      // exited
    }
  }
  return total;
}
