# Russian puts the month in the genitive after a day: "7 декабря", never "7 Декабрь"
# (Django's own MONTH_DAY_FORMAT is "j F"); `E` is the genitive month name.
DATE_FORMAT = "j E Y г."
MONTH_DAY_FORMAT = "j E"
DATETIME_FORMAT = "j E Y г. H:i"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
