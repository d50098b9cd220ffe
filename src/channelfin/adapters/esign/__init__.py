"""E-signature: webhook signing, the Yousign provider, and the local signer of `channelfin dev`."""
