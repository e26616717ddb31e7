"""Corporate wellness: companies buying wellness budgets for their employees."""
