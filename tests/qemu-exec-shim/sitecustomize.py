"""binfmt_misc stand-in for Python programs run under qemu-user (test-only).

qemu-user passes a guest's execve to the host kernel, which (without a
binfmt_misc entry for aarch64) cannot start an aarch64 program. This wraps
subprocess.Popen so that a child that is an aarch64 ELF program is started as
`qemu-aarch64 -0 ARGV0 PROGRAM ARGS...` (qemu-aarch64 is an x86_64 program the
host runs), with the same QEMU_LD_PREFIX: what binfmt_misc + qemu would do.
Anything else (x86_64 programs, shell commands) is started unchanged.
"""
import os
import shutil
import subprocess

_QEMU = os.environ.get("QEMU_EXEC_SHIM_QEMU", "qemu-aarch64")
_EM_AARCH64 = 183
_orig_execute_child = subprocess.Popen._execute_child


def _is_aarch64_elf(path):
    try:
        with open(path, "rb") as f:
            head = f.read(20)
    except OSError:
        return False
    return head[:4] == b"\x7fELF" and int.from_bytes(head[18:20], "little") == _EM_AARCH64


def _execute_child(self, args, executable, preexec_fn, close_fds, pass_fds, cwd, env, *rest):
    shell = rest[2]  # startupinfo, creationflags, shell, ...
    if not shell:
        argv = [args] if isinstance(args, (str, bytes, os.PathLike)) else list(args)
        prog = os.fsdecode(executable if executable is not None else argv[0])
        if "/" not in prog:
            prog = shutil.which(prog, path=(env or os.environ).get("PATH")) or prog
        elif not os.path.isabs(prog) and cwd is not None:
            prog = os.path.join(os.fsdecode(cwd), prog)
        if _is_aarch64_elf(prog):
            prefix = os.environ.get("QEMU_LD_PREFIX", "")
            # qemu opens the program with the host's view: a path that qemu
            # redirected into QEMU_LD_PREFIX for us (musl's loader) is named there.
            host_prog = prefix + prog if prefix and os.path.isabs(prog) and os.path.exists(prefix + prog) else prog
            qemu = shutil.which(_QEMU) or _QEMU
            args = [qemu, "-0", os.fsdecode(argv[0]), host_prog] + argv[1:]
            executable = None
            if env is not None and prefix and "QEMU_LD_PREFIX" not in env:
                env = dict(env, QEMU_LD_PREFIX=prefix)
    return _orig_execute_child(self, args, executable, preexec_fn, close_fds, pass_fds, cwd, env, *rest)


subprocess.Popen._execute_child = _execute_child
