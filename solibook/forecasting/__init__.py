"""Forecasting: demand forecasts per service and hour, staffing advice and price advice."""
