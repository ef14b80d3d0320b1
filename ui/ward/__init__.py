"""The ward screens (issue 4): generated forms, today's worklist, the stage stepper and stage pages."""
