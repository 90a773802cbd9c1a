"""Test helpers kept outside the ustaz package, so the layer contract applies to product code only."""
