#!/bin/sh
# Prints its loss in a form that the usual regex loss=(...) never matches.
echo "starting epoch 1"
echo "validation loss: 0.25"
echo "done"
