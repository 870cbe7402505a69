"""redchain (红链): party building leading high-quality development, as daily measurable work."""

__version__ = "0.1.0"
