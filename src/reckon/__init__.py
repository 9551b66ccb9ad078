"""reckon: a defensible, privacy-safe count of victims from testimonies and lists.

record → link → estimate → publish.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("reckon")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
