"""Local fiscal and e-invoicing exports (ZATCA, 54-FZ), accounting packages' CSV mappings, payout reconciliation."""
