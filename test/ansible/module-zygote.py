"""
A pre-started Python for the modules of the ansible tests' playbook runs.

ansible starts a new interpreter for every module call (a task on a host): about 0.17 CPU-s here,
most of it compiling ansible.module_utils from the zip AnsiballZ ships, which Python cannot cache.
This server imports those once and forks for each call; module-zygote-client.py, the runs'
ansible_python_interpreter, hands it the call's arguments, environment, working directory and
standard streams, and exits with the module's status. The module code that runs is ansible's own
(the modules load from the same installation as the module_utils preloaded here, which the test
makes the controller's); only the interpreter's start is shared, as Mitogen does.

A call's module and module_utils are the ones preloaded here, not the copies in the zip AnsiballZ
ships (its wrapper puts the zip first on sys.path, but `ansible` is already imported from this
installation): so the ready line names the installation, and support.ts checks it is the one
ansible-playbook reports. The server ends when its standard input closes (the test is gone); a call
ends when its client does (ansible killed it), as the module would with its own interpreter.

usage: python3 module-zygote.py SOCKET [LIBDIR ...]
       prints "ready <ansible version> <ansible package directory>" when listening
"""
import atexit
import json
import os
import runpy
import selectors
import signal
import socket
import struct
import sys
import threading

SOCKET = sys.argv[1]
for lib in reversed(sys.argv[2:]):
    sys.path.insert(0, lib)

# what every AnsiballZ wrapper and the modules the playbooks call import
import ansible  # noqa: E402
import ansible.module_utils.basic  # noqa: E402,F401
import ansible.module_utils.urls  # noqa: E402,F401
from ansible.module_utils.ansible_release import __version__  # noqa: E402
import base64, datetime, glob, grp, hashlib, locale, pwd, select, shlex, shutil, subprocess, tempfile, zipfile  # noqa: E401,E402,F401


def read_request(conn):
    """The client's request: a length-prefixed JSON text, its standard streams passed beside it."""
    data, fds, _flags, _addr = socket.recv_fds(conn, 65536, 3)
    while len(data) < 4 or len(data) < 4 + struct.unpack('!I', data[:4])[0]:
        more = conn.recv(65536)
        if not more:
            os._exit(70)
        data += more
    return json.loads(data[4:4 + struct.unpack('!I', data[:4])[0]]), fds


def run(conn):
    """In the forked child: become the call's process, run its script, report its exit status."""
    request, fds = read_request(conn)
    # the client waits for the status and sends nothing more: its end means ansible killed it
    threading.Thread(target=lambda: conn.recv(1) or os._exit(70), daemon=True).start()
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(request['cwd'])
    os.umask(request['umask'])
    os.environ.clear()
    os.environ.update(request['env'])
    code = 0
    try:
        if request['argv']:
            # ansible's local connection: <interpreter> <path of AnsiballZ_<module>.py>
            sys.argv = list(request['argv'])
            runpy.run_path(sys.argv[0], run_name='__main__')
        else:
            # pipelining: the module on standard input
            sys.argv = ['']
            exec(compile(sys.stdin.read(), '<stdin>', 'exec'), {'__name__': '__main__', '__builtins__': __builtins__})
    except SystemExit as e:
        if e.code is None:
            code = 0
        elif isinstance(e.code, int):
            code = e.code
        else:
            sys.stderr.write(f'{e.code}\n')
            code = 1
    except BaseException:  # as python would: the traceback on stderr, status 1
        import traceback
        traceback.print_exc()
        code = 1
    try:
        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        try:
            conn.sendall(struct.pack('!i', code))
        finally:
            os._exit(code & 0xFF)


def reap(_signum, _frame):
    # waited for, not ignored: so the calls' CPU time counts in this process's children's, and in
    # the test's (README, Performance)
    try:
        while os.waitpid(-1, os.WNOHANG)[0] > 0:
            pass
    except ChildProcessError:
        pass


def main():
    signal.signal(signal.SIGCHLD, reap)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(SOCKET)
    server.listen(256)
    server.setblocking(False)
    sys.stdout.write(f'ready {__version__} {os.path.dirname(ansible.__file__)}\n')
    sys.stdout.flush()
    events = selectors.DefaultSelector()
    events.register(server, selectors.EVENT_READ)
    events.register(sys.stdin, selectors.EVENT_READ)
    while True:
        if any(key.fileobj is sys.stdin for key, _ in events.select()) and not os.read(0, 4096):
            sys.exit(0)
        try:
            conn, _ = server.accept()
        except BlockingIOError:
            continue
        conn.setblocking(True)
        if os.fork() == 0:
            server.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            run(conn)
        conn.close()


main()
