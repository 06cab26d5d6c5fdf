-- The analysts' occupation classification, its spellings normalised as the extracts' are.
select
    {{ normalise_occupation('occupation') }} as occupation_normalised,
    sector,
from {{ ref('occupation_sectors') }}
where {{ normalise_occupation('occupation') }} is not null
