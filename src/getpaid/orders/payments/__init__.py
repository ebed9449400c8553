"""Provider-neutral payments; the provider interface comes later."""
