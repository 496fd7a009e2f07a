// What the kernel knows about a process: CPU time and memory, from /proc
// (Linux only). Used to charge CPU time and memory to the workerd process
// that runs a Worker, not to the Node processes around it.
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";

let ticksPerSecond;

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, almost always 100). */
function clockTicks() {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** Fields of /proc/<pid>/stat after the command name (which may contain spaces and parentheses). */
function statFields(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const close = stat.lastIndexOf(")");
  return { comm: stat.slice(stat.indexOf("(") + 1, close), rest: stat.slice(close + 2).split(" ") };
}

/** User + system CPU seconds the whole process (all its threads) has used so far. */
export function cpuSeconds(pid) {
  const { rest } = statFields(pid);
  // rest[0] is field 3 (state); utime and stime are fields 14 and 15 (proc(5)).
  return (Number(rest[11]) + Number(rest[12])) / clockTicks();
}

/** VmRSS and VmHWM (peak RSS) in bytes. */
export function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kib("VmRSS"), hwm: kib("VmHWM") };
}

/**
 * Resets the process's peak RSS to its current RSS (proc(5), clear_refs "5";
 * Linux 4.0+), so VmHWM afterwards is the peak of what follows. False when not permitted.
 */
export function resetPeakRss(pid) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

/** Pids of the live child processes of `parent` whose command name is `comm`. */
export function childrenNamed(parent, comm) {
  const pids = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const { comm: name, rest } = statFields(entry);
      // rest[1] is field 4, the parent pid.
      if (name === comm && Number(rest[1]) === parent && rest[0] !== "Z") pids.push(Number(entry));
    } catch {
      // The process exited while we looked.
    }
  }
  return pids;
}

export function isAlive(pid, comm) {
  try {
    const { comm: name, rest } = statFields(pid);
    return rest[0] !== "Z" && (comm === undefined || name === comm);
  } catch {
    return false;
  }
}

export function machine() {
  const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  const meminfo = readFileSync("/proc/meminfo", "utf8");
  const memKiB = Number(/^MemTotal:\s+(\d+) kB/m.exec(meminfo)?.[1] ?? 0);
  let nproc;
  try {
    nproc = Number(execFileSync("nproc", { encoding: "utf8" }).trim());
  } catch {
    nproc = undefined;
  }
  return {
    nproc,
    cpu: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? "unknown",
    memory_gib: Math.round((memKiB / 1024 / 1024) * 10) / 10,
    kernel: readFileSync("/proc/sys/kernel/osrelease", "utf8").trim(),
    loadavg_at_start: readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" "),
  };
}
