"""Run every benchmark under bench/ in turn (make bench). Each prints its own figures."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# load.py: 20 minutes, and it restarts the machine's PostgreSQL (run it on its own).
SKIP = {"run_all.py", "screenshot.py", "load.py", "_setup.py"}


def main() -> int:
    scripts = sorted(path for path in HERE.glob("*.py") if path.name not in SKIP)
    failures = 0
    for script in scripts:
        print(f"\n=== {script.name} ===", flush=True)
        result = subprocess.run([sys.executable, str(script)], cwd=HERE.parent, check=False)
        failures += result.returncode != 0
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
