"""Interactive demos, one module per family. Each demo is built with one call from a notebook."""

from course.widgets.activations import activation_explorer
from course.widgets.backprop import backprop_stepper, training_playground
from course.widgets.descent import descent_explorer as descent_explorer
from course.widgets.digits import digit_viewer
from course.widgets.gates import gate_explorer, gate_gallery
from course.widgets.learning import learning_stepper
from course.widgets.mlp import xor_network_explorer
from course.widgets.perceptron import perceptron_explorer
from course.widgets.slopes import depth_explorer, slope_explorer

__all__ = ["activation_explorer", "gate_explorer", "gate_gallery", "learning_stepper", "perceptron_explorer", "xor_network_explorer", "slope_explorer", "depth_explorer", "backprop_stepper", "training_playground", "digit_viewer"]
