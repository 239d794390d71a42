"""Pillow's ImageOps.autocontrast with its default arguments, as a reference for
correction_quality_test.cc: the local planner's faithful correction must beat it.

Usage: python3 pillow_autocontrast.py IN.png OUT.png   (needs Pillow, Debian python3-pil)
"""
import sys

from PIL import Image, ImageOps

ImageOps.autocontrast(Image.open(sys.argv[1]).convert("RGB")).save(sys.argv[2])
