CREATE INDEX households_region
    ON households(region_code);
