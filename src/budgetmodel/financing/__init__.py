"""Financing engine: refunds (2014 activation rules, 2016 staircase), driftsloft, mentorramme,
budgetgaranti, beskæftigelsestilskud and multi-year budget lines. Import from the submodules."""
