import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readlink, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * The commit issue 21 measured against: the code before any of its performance work. The bench
 * runs that commit's services beside today's, in the same run, so "2× the throughput" compares
 * two processes under the same load on the same machine state, not two runs on different days.
 * BENCH_BASELINE_REF picks another commit.
 */
export const ISSUE_21_BASELINE = '4f2e88f';

export interface Baseline {
  /** The abbreviated commit. */
  commit: string;
  /** A checkout of that commit, its packages resolved from this checkout's node_modules. */
  dir: string;
  /** Why the comparison is not exact, when it is not (different package versions). */
  caveat: string | null;
  remove(): Promise<void>;
}

/**
 * Checks out `ref` into a temporary git worktree that uses this checkout's installed packages:
 * every package in node_modules is linked, except the workspace's own (@opop/*), which point at
 * the worktree's copies. Answers null, with the reason, when the commit is not in this clone.
 */
export async function checkoutBaseline(ref = process.env['BENCH_BASELINE_REF'] || ISSUE_21_BASELINE): Promise<Baseline | { missing: string }> {
  const git = (...args: string[]) => run('git', args, { cwd: ROOT });
  let commit: string;
  try {
    commit = (await git('rev-parse', '--short', '--verify', `${ref}^{commit}`)).stdout.trim();
  } catch {
    return { missing: `commit ${ref} is not in this clone (a shallow clone?)` };
  }
  const dir = await mkdtemp(join(tmpdir(), `opop-baseline-${commit}-`));
  await git('worktree', 'add', '--detach', '--force', dir, commit);
  const modules = join(ROOT, 'node_modules');
  await mkdir(join(dir, 'node_modules'));
  for (const entry of await readdir(modules)) {
    if (entry === '@opop') continue;
    await symlink(join(modules, entry), join(dir, 'node_modules', entry));
  }
  // Workspace links are relative (../../subgraphs/catalogue): the same links resolve to the worktree.
  await mkdir(join(dir, 'node_modules', '@opop'));
  for (const entry of await readdir(join(modules, '@opop'))) {
    const target = await readlink(join(modules, '@opop', entry));
    await symlink(target, join(dir, 'node_modules', '@opop', entry));
    // A workspace's own dependencies (versions the root could not hoist) are installed beside it.
    const workspace = join('node_modules', '@opop', target);
    const nested = join(ROOT, workspace, 'node_modules');
    if (await stat(nested).then(() => true, () => false)) await symlink(nested, join(dir, workspace, 'node_modules')).catch(() => undefined);
  }
  const lockChanged = await git('diff', '--quiet', commit, 'HEAD', '--', 'package-lock.json').then(
    () => false,
    () => true,
  );
  return {
    commit,
    dir,
    caveat: lockChanged ? `its package-lock.json differs from today's; it ran with today's packages` : null,
    remove: async () => {
      await git('worktree', 'remove', '--force', dir).catch(() => rm(dir, { recursive: true, force: true }));
    },
  };
}
