"""scicity: monitor and steer a sci-tech innovation plan."""

__version__ = "0.1.0"
