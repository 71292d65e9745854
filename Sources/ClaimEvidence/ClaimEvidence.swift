// placeholder: under construction
