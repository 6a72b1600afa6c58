"""Ships the top-level data folders inside the wheel as assess/_data/.

The legal data (rules/, statutes/, templates/, examples/) live at the top of the
repository so that trainers find them; an installed package finds its copy here.
"""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

DATA_DIRS = ("rules", "statutes", "templates", "examples")


class BuildWithData(build_py):
    def run(self):
        super().run()
        root = Path(__file__).parent
        target = Path(self.build_lib) / "assess" / "_data"
        for name in DATA_DIRS:
            src = root / name
            if src.is_dir():
                shutil.copytree(src, target / name, dirs_exist_ok=True,
                                ignore=shutil.ignore_patterns("__pycache__"))


setup(cmdclass={"build_py": BuildWithData})
