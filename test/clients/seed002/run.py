# Runs one of the seed 002 Python examples unchanged but for the base URL: the file's text with
# https://cloud.comfy.org (and wss://) replaced by the local server, compiled with top-level await
# allowed (the seed's WebSocket snippet ends in `outputs = await listen_for_completion(prompt_id)`,
# written for an async context) and executed as __main__. Usage: run.py EXAMPLE.py BASE_URL
import ast
import asyncio
import inspect
import sys

path, base = sys.argv[1], sys.argv[2].rstrip("/")
source = open(path, encoding="utf-8").read()
source = source.replace("wss://cloud.comfy.org", base.replace("http://", "ws://", 1)).replace("https://cloud.comfy.org", base)
code = compile(source, path, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
namespace = {"__name__": "__main__", "__file__": path}
result = eval(code, namespace)
if inspect.iscoroutine(result):
    asyncio.run(result)
# The first example only fetches the user; show what it got.
if "response" in namespace and path.endswith("user.py"):
    print("user:", namespace["response"].status_code, namespace["response"].text)
