"""The study definition (resources/study/): loading, validation and the rule parameters it carries."""
