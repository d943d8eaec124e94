import FahrasCLI
