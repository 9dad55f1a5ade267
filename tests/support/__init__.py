"""What the tests share: hypothesis strategies, a headless browser, chart checks."""
