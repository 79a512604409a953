"""One file per migration, applied in order; never edit one that has shipped."""
