"""The markdown format: one module per report kind, this format's shared helpers once."""
