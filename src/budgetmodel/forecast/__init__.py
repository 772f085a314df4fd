"""Caseload forecasting: inflow and exit curves, projection by duration week, pricing, backtest."""
