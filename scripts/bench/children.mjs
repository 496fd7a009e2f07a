// The benchmark's child processes: forked, tracked, and always stopped, by
// their own pids (and the workerd processes they start), whatever happens.
import { fork } from "node:child_process";
import { isAlive } from "./proc.mjs";

const children = new Set();
const workerdPids = new Set();

/** Forks `script` with stdout dropped (workerd's per-request log lines) and the tail of stderr kept. */
export function start(script, env = {}) {
  const child = fork(new URL(script, import.meta.url), [], {
    stdio: ["ignore", "ignore", "pipe", "ipc"],
    env: { ...process.env, ...env },
  });
  child.stderrTail = "";
  child.stderr.on("data", (chunk) => {
    child.stderrTail = (child.stderrTail + chunk.toString()).slice(-4000);
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

/** Remembers a workerd process to kill if its parent cannot stop it. */
export function trackWorkerd(pid) {
  workerdPids.add(pid);
}

/**
 * Sends `message` (if any) and resolves with the first reply that has no `phase`
 * field; replies with one go to `onPhase`. Rejects on an error reply, on exit, or after `timeoutMs`.
 */
export function call(child, message, { timeoutMs, onPhase = () => {} }) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (reply) => {
      if (reply.phase !== undefined) return onPhase(reply.phase);
      if (reply.error !== undefined) return finish(new Error(reply.error));
      finish(undefined, reply);
    };
    const onExit = (code) => finish(new Error(`child exited (${code}) before answering; stderr: ${child.stderrTail}`));
    function finish(error, value) {
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("exit", onExit);
      if (error) reject(error);
      else resolve(value);
    }
    child.on("message", onMessage);
    child.once("exit", onExit);
    if (message !== undefined) child.send(message);
  });
}

/** Stops one child: a disconnect asks it to clean up, SIGKILL after `graceMs`. */
export async function stop(child, graceMs = 5000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  if (child.connected) child.disconnect();
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Stops every child, then any workerd process a killed child left behind. */
export async function stopAll() {
  await Promise.all([...children].map((child) => stop(child)));
  for (const pid of workerdPids) {
    if (isAlive(pid, "workerd")) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  }
}
