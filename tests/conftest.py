import pathlib
import sys

# torch_oracle and friends are plain modules next to the tests
sys.path.insert(0, str(pathlib.Path(__file__).parent))
