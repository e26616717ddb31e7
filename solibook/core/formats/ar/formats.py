# Day first, as Arabic writes dates: "7 ديسمبر 2030"; times on the 24-hour clock like the rest
# of the site (Django's own Arabic DATETIME_FORMAT is month first with an English comma).
DATE_FORMAT = "j F Y"
MONTH_DAY_FORMAT = "j F"
DATETIME_FORMAT = "j F Y، H:i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
