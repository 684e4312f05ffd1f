"""Documents laid out the way bureaus publish them, and the tests that import them."""
