"""Synthetic demo warehouse."""

from exp_assets.demo.generator import DEMO_END, DEMO_START, DemoTruth, build_demo_warehouse

__all__ = ["DEMO_END", "DEMO_START", "DemoTruth", "build_demo_warehouse"]
