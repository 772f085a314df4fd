"""Law as data: dated, sourced rate tables and their lookup at a date."""

from budgetmodel.rates.book import RateBook, RateTable, RateValue, load_rates, load_table
from budgetmodel.rates.schema import RateTableFile, Status, Unit

__all__ = ["RateBook", "RateTable", "RateValue", "load_rates", "load_table", "RateTableFile", "Status", "Unit"]
