"""
The ansible_python_interpreter of the ansible tests' playbook runs that use module-zygote.py: hands
this call (its script or standard input, arguments, environment, working directory and standard
streams) to the server at $KPAAS_MODULE_ZYGOTE and exits with the status the module ended with.
Anything else, or without a server, it is the real interpreter (the shebang the test writes runs
this with `-S`: no site imports, a few milliseconds). $KPAAS_MODULE_PYTHON is that interpreter.
"""
import json
import os
import socket
import struct
import sys

args = sys.argv[1:]
server = os.environ.get('KPAAS_MODULE_ZYGOTE', '')
if not server or len(args) > 1 or (args and args[0].startswith('-')):
    python = os.environ['KPAAS_MODULE_PYTHON']
    os.execv(python, [python] + args)

conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
conn.connect(server)
umask = os.umask(0)
os.umask(umask)
request = json.dumps({'argv': args, 'env': dict(os.environ), 'cwd': os.getcwd(), 'umask': umask}).encode()
socket.send_fds(conn, [struct.pack('!I', len(request)) + request], [0, 1, 2])
status = b''
while len(status) < 4:
    more = conn.recv(4 - len(status))
    if not more:
        sys.stderr.write('module zygote: the module ended without an exit status\n')
        sys.exit(70)
    status += more
sys.exit(struct.unpack('!i', status)[0] & 0xFF)
